import { Inject, Injectable } from '@nestjs/common';
import { PAYMENT_PROVIDER_LIST, type PaymentProvider } from './payment-provider.js';
import { STRIPE } from './stripe-provider-name.js';

/**
 * Every provider name a row may be stored under; the entities' check constraints are built
 * from it. A second adapter adds its name here and its class to PaymentsModule
 * (docs/architecture.md "Adding a module or a payment provider").
 */
export const PAYMENT_PROVIDER_NAMES: readonly string[] = [STRIPE];

/** `provider IN (…)` over PAYMENT_PROVIDER_NAMES, for the entities' check constraints. */
export const providerNameCheck = (): string => `provider IN (${PAYMENT_PROVIDER_NAMES.map((n) => `'${n}'`).join(', ')})`;

/** The payment providers of this server, keyed by name. */
@Injectable()
export class PaymentProviders {
  private readonly byName: Map<string, PaymentProvider>;

  constructor(@Inject(PAYMENT_PROVIDER_LIST) list: PaymentProvider[]) {
    this.byName = new Map(list.map((p) => [p.name, p]));
  }

  /** The adapter registered under `name`; a name no adapter has is a programming error. */
  get(name: string): PaymentProvider {
    const provider = this.byName.get(name);
    if (!provider) throw new Error(`no payment provider named ${name}`);
    return provider;
  }

  /** The provider card pledges go through: the first configured one, else the first listed. */
  forCards(): PaymentProvider {
    const all = [...this.byName.values()];
    return all.find((p) => p.configured) ?? all[0];
  }
}
