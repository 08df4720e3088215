/** The Stripe adapter's provider name: the key its rows and events are stored under. */
export const STRIPE = 'stripe';
