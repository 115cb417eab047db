import type { Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { POLICY } from '../../src/shared/auth/decorators';
import { AccessPolicy, Policy } from '../../src/shared/auth/policies';
import { startApp, type TestApp } from '../utils/app';

interface Route {
  route: string;
  policy: unknown;
}

/** Every route handler of every controller registered in the app, with its effective policy. */
function routeTable(t: TestApp): Route[] {
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        // A route handler carries both a path and an HTTP method.
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        routes.push({
          route: `${controller.name}.${name}`,
          // As the guards read it: the handler's policy, else the controller's.
          policy: Reflect.getMetadata(POLICY, handler) ?? Reflect.getMetadata(POLICY, controller),
        });
      }
    }
  }
  return routes;
}

describe('The route table', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('declares an @Allow policy on every route, on the handler or its controller', () => {
    const routes = routeTable(t);
    const withoutPolicy = routes.filter((r) => !(r.policy instanceof AccessPolicy)).map((r) => r.route);
    expect(withoutPolicy).toEqual([]);
  });

  it('finds the routes of the app (the walk works)', () => {
    const routes = new Map(routeTable(t).map((r) => [r.route, r.policy]));
    expect(routes.size).toBeGreaterThan(20);
    expect(routes.get('AuthController.login')).toBe(Policy.Public);
    expect(routes.get('AuthController.me')).toBe(Policy.AnyUser);
    expect(routes.get('AuditController.verify')).toBe(Policy.Operator);
  });
});
