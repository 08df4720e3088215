import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user.js';

/** The caller on a @PublicRead() route: the signed-in user, or undefined for an anonymous reader. */
export const OptionalUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser | undefined => ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user);
