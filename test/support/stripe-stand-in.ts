// The stand-in lives in src/dev so `npm start` can serve it in development; tests import it from here.
export * from '../../src/dev/stripe-stand-in/stripe-stand-in.js';
