import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'arvut:public';

/** Marks a route that needs no access token. Everything else requires one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
