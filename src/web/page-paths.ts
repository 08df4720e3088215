/** The first path segments of the pages whose forms post here (src/common/http/form-body.ts reads their bodies). */
const FORM_PAGES = /^\/(ack|link|ask)\//;

export function isPageForm(url: string): boolean {
  return FORM_PAGES.test(url);
}

/** Where the pages' stylesheet and script are served (src/web/assets/). */
export const ASSETS_PREFIX = '/assets/';
