import { Controller, Get, Query } from '@nestjs/common';
import {
  CurrentIdentity,
  CurrentUser,
  Entitlements,
  RequiresPackage,
  type CurrentUserInfo,
  type Identity,
} from 'packgate';
import { forecastFor } from './forecasts.js';

/** Today's weather for every signed-in caller; the week ahead is what the pro package buys. */
@Controller('weather')
export class WeatherController {
  constructor(private readonly entitlements: Entitlements) {}

  @Get('today')
  async today(@CurrentIdentity() caller: Identity, @Query('city') city = 'berlin') {
    const [today] = forecastFor(city, 1).days;
    const weekAhead = await this.entitlements.hasPackage(caller.email, 'pro');
    return { city: city.toLowerCase(), ...today, weekAhead };
  }

  @RequiresPackage('pro')
  @Get('week')
  week(@CurrentUser() caller: CurrentUserInfo, @Query('city') city = 'berlin') {
    return { ...forecastFor(city, 7), package: caller.package };
  }
}
