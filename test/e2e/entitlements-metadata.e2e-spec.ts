import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { RequiresPackage } from '../../src/entitlements/requires-package.decorator.js';
import { createTestCaller } from '../../src/testing/index.js';
import { createTestApp, useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

@Controller('reports')
@RequiresPackage('pro')
class ReportsController {
  @Get('full')
  full() {
    return { report: 'full' };
  }

  @Get('summary')
  @RequiresPackage('basic')
  summary() {
    return { report: 'summary' };
  }

  @Get('any-paid')
  @RequiresPackage()
  anyPaid() {
    return { report: 'any-paid' };
  }

  @Get('by-id')
  @RequiresPackage(3)
  byId() {
    return { report: 'by-id' };
  }
}

@Module({ controllers: [ReportsController] })
class ReportsModule {}

@Controller('typo')
class TypoController {
  @Get()
  @RequiresPackage('prp')
  typo() {
    return {};
  }
}

@Module({ controllers: [TypoController] })
class TypoModule {}

const PACKAGES = '1:basic,2:pro,3:team';

describe('entitlements: where the requirement comes from', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES }, [ReportsModule]);

  const status = async (pkg: string, url: string) => {
    const caller = await createTestCaller(t.app, pkg);
    return (await t.app.inject({ method: 'GET', url, headers: caller.headers })).statusCode;
  };

  it('applies the class requirement to handlers without their own', async () => {
    expect(await status('basic', '/reports/full')).toBe(402);
    expect(await status('pro', '/reports/full')).toBe(200);
  });

  it("lets the handler's requirement win over the class's", async () => {
    expect(await status('none', '/reports/summary')).toBe(402);
    expect(await status('basic', '/reports/summary')).toBe(200);
  });

  it('reads @RequiresPackage() as any paid package', async () => {
    expect(await status('none', '/reports/any-paid')).toBe(402);
    expect(await status('basic', '/reports/any-paid')).toBe(200);
  });

  it('accepts a package id instead of a name', async () => {
    expect(await status('pro', '/reports/by-id')).toBe(402);
    expect(await status('team', '/reports/by-id')).toBe(200);
  });

  it('refuses to start when a route names a package PACKAGES lacks', async () => {
    await expect(createTestApp(dynamo, { PACKAGES }, [TypoModule])).rejects.toThrow(
      /TypoController\.typo requires package "prp" — not in PACKAGES \(known: 1:basic, 2:pro, 3:team\)/,
    );
  });

  it.each([
    ['0:free', /PACKAGES .*positive integer/],
    ['1:Basic', /PACKAGES .*lowercase word/],
    ['1:basic,1:pro', /PACKAGES .*id 1 appears twice/],
    ['1:basic,2:basic', /PACKAGES .*"basic" appears twice/],
    ['1:none', /PACKAGES .*not "none"/],
    ['1:basic:price 1', /PACKAGES .*Stripe price id/],
  ])('refuses to start with PACKAGES=%s', async (packages, message) => {
    await expect(createTestApp(dynamo, { PACKAGES: packages })).rejects.toThrow(message);
  });
});
