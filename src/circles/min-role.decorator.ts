import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { CircleRole } from './circle-role.js';

/** Metadata key of a circle route's minimum role (read by RouteRoleGuard). */
export const MIN_ROLE = 'arvut:min-role';

/**
 * What a circle route asks of its caller: a role (docs/design.md "Errors and access"), or `reader` for the
 * reads a circle's `receiptVisibility` governs (members always; anyone when it is public).
 */
export type RouteRole = CircleRole | 'reader';

/** The OpenAPI extension that carries a route's minimum role into openapi.yaml, for integrators and the generated authorization test. */
export const MIN_ROLE_EXTENSION = 'x-min-role';

/**
 * Declares the lowest circle role that may call this route. The access check
 * (CircleAccess.require) reads it for the request, so the route is the one place the rule is
 * written; a service may only ask for more (a stricter role in a particular case). The role
 * also appears in openapi.yaml as `x-min-role`, and one role below it gets 403
 * (test/e2e/authz.e2e.spec.ts proves it for every route).
 */
export function MinRole(role: CircleRole): MethodDecorator {
  return applyDecorators(SetMetadata(MIN_ROLE, role), ApiExtension(MIN_ROLE_EXTENSION, role));
}

/** Marks a read governed by the circle's receipt visibility (see PublicRead): no role, but membership or a public circle. */
export function CircleReaders(): MethodDecorator {
  return applyDecorators(SetMetadata(MIN_ROLE, 'reader'), ApiExtension(MIN_ROLE_EXTENSION, 'reader'));
}
