import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { declareRouteRole } from './circle-access-prefetch.js';
import { MIN_ROLE, type RouteRole } from './min-role.decorator.js';

/**
 * Hands a route's @MinRole to the access check of its request (a global guard; it only
 * records, CircleAccess decides once it has read the caller's role). A @MinRole on a route
 * outside /v1/circles/{circleId}/… is a programming error, reported at the first call.
 */
@Injectable()
export class RouteRoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const role = this.reflector.get<RouteRole | undefined>(MIN_ROLE, context.getHandler());
    if (role !== undefined && !declareRouteRole(role)) {
      throw new Error(`${context.getClass().name}#${context.getHandler().name} declares @MinRole but is not a /v1/circles/{circleId}/… route`);
    }
    return true;
  }
}
