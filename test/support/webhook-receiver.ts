import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { paths } from '../../src/client/api-types.js';
import { ok } from '../../src/client/arvut-client.js';
import { clientFor } from './client.js';
import type { TestUser } from './circles.js';
import type { TestApp } from './test-app.js';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on loopback. `answer` decides the response of each request (200 by
 * default; set it to 503 to play a receiver that is down); `received` keeps what it accepted,
 * `refused` what it answered with anything else.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly refused: ReceivedWebhook[] = [];
  answer: { status: number; body?: string; headers?: Record<string, string> } = { status: 200, body: 'ok' };
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const hook = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        const { status, body, headers } = this.answer;
        (status >= 200 && status < 300 ? this.received : this.refused).push(hook);
        res.writeHead(status, headers).end(body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The accepted deliveries' bodies, parsed. */
  events(): { id: string; type: string; sequence: number; circleId: string; data: Record<string, unknown> }[] {
    return this.received.map((r) => JSON.parse(r.body));
  }

  async waitFor(count: number, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > until) throw new Error(`the receiver got ${this.received.length} of ${count} deliveries in time`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Registers an endpoint for `eventTypes` (every type by default) and returns the created endpoint with its secret. */
/** Registers a webhook endpoint as an integrator would: through the typed client. */
export function createEndpoint(t: TestApp, circleId: string, organizer: TestUser, body: CreateEndpointBody) {
  return ok(clientFor(t, organizer).POST('/v1/circles/{circleId}/webhooks', { params: { path: { circleId } }, body }));
}

type CreateEndpointBody = NonNullable<paths['/v1/circles/{circleId}/webhooks']['post']['requestBody']>['content']['application/json'];
