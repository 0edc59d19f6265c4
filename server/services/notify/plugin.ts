import fp from 'fastify-plugin';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { placeInScope, provinceWide, type Place } from '../../auth/scope.js';
import { NoticeSource, type Notice, type NoticeCursor } from './notices.js';
import { WebhookSender } from './webhook.js';

const KEEP = 500;

/**
 * Notices for people: looked for every ALERT_POLL_MS, kept (the last 500) for the command center's
 * notification list, and sent to the outgoing webhook when one is configured. Notices found are kept
 * in memory: a restart starts from what is stored then (older events are on the fleet and alert pages).
 */
export class NotifyService {
  private cursor: NoticeCursor | null = null;
  private readonly recent: (Notice & { seq: number })[] = [];
  private seq = 0;
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly source: NoticeSource,
    private readonly o: {
      clock: () => number; staleMs: number; webhook: WebhookSender | null;
      /** where a station stands (its district and commune), so a district's command center gets its own notices */
      stationPlace?: (stationId: string) => Place | null;
    },
  ) {}

  start(): void {
    this.cursor ??= this.source.head();
  }

  /** Look for new notices, keep them, hand them to the webhook, and send what is due. */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        this.start();
        const { notices, cursor } = this.source.since(this.cursor!, this.o.clock(), this.o.staleMs);
        this.cursor = cursor;
        for (const n of notices) this.recent.push({ ...n, seq: ++this.seq });
        if (this.recent.length > KEEP) this.recent.splice(0, this.recent.length - KEEP);
        this.o.webhook?.enqueue(notices);
        await this.o.webhook?.flush();
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  /** Notices made elsewhere (the daily report): kept and sent like the others. */
  async publish(notices: Notice[]): Promise<void> {
    for (const n of notices) this.recent.push({ ...n, seq: ++this.seq });
    if (this.recent.length > KEEP) this.recent.splice(0, this.recent.length - KEEP);
    this.o.webhook?.enqueue(notices);
    await this.o.webhook?.flush();
  }

  /** The notices of the reader's area after `after` (a seq from an earlier answer), newest last. */
  list(actor: AuthUser, after: number): { items: (Notice & { seq: number })[]; last: number } {
    const scope = scopeOf(actor);
    const seen = (n: Notice) => {
      // a province-wide notice (the daily report) is for readers of the whole province
      if (n.stationId === null) return provinceWide(scope) && placeInScope(scope, { province: n.province });
      return placeInScope(scope, this.o.stationPlace?.(n.stationId) ?? { province: n.province });
    };
    return { items: this.recent.filter((n) => n.seq > after && seen(n)), last: this.seq };
  }

  get webhook(): WebhookSender | null {
    return this.o.webhook;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly notify: NotifyService;
  }
}

export default fp(
  async (app) => {
    const hook = app.config.alertWebhook;
    const webhook = hook ? new WebhookSender({ url: hook.url, secret: hook.secret, clock: app.clock, log: app.log }) : null;
    const place = app.database.sqlite.prepare<[string], Place>('SELECT province, district, commune FROM stations WHERE station_id = ?');
    const service = new NotifyService(new NoticeSource(app.database.sqlite), {
      clock: app.clock, staleMs: app.config.heartbeatStaleSeconds * 1000, webhook, stationPlace: (id) => place.get(id) ?? null,
    });
    app.decorate('notify', service);
    let timer: NodeJS.Timeout | null = null;
    const loop = () => {
      timer = setTimeout(() => void service.tick().catch((err: unknown) => app.log.error({ err }, 'notices')).finally(() => timer && loop()), app.config.alertPollMs);
    };
    app.addHook('onReady', async () => {
      service.start();
      loop();
    });
    app.addHook('onClose', async () => {
      if (timer) clearTimeout(timer);
      timer = null;
    });
  },
  { name: 'notify', fastify: '5.x', dependencies: ['database'] },
);
