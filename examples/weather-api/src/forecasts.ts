import { UnknownCityError } from './unknown-city.error.js';

export interface Forecast {
  city: string;
  days: Array<{ day: number; highC: number; lowC: number }>;
}

// A stand-in for the data an API business actually sells.
const CLIMATES: Record<string, { highC: number; lowC: number }> = {
  berlin: { highC: 9, lowC: 2 },
  lisbon: { highC: 17, lowC: 10 },
  oslo: { highC: 3, lowC: -4 },
};

export function forecastFor(city: string, days: number): Forecast {
  const climate = CLIMATES[city.toLowerCase()];
  if (!climate) throw new UnknownCityError(city);
  return {
    city: city.toLowerCase(),
    days: Array.from({ length: days }, (_, day) => ({
      day,
      highC: climate.highC + (day % 3),
      lowC: climate.lowC,
    })),
  };
}
