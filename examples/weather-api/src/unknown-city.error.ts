import { DomainError } from 'packgate';

/** An app's own domain error: it declares its status, and packgate's error filter answers with it. */
export class UnknownCityError extends DomainError {
  readonly code = 'WEATHER.UNKNOWN_CITY';
  override readonly status = 404;

  constructor(city: string) {
    super('There is no weather for that city.', { city });
  }
}
