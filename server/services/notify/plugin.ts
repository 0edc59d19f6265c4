import fp from 'fastify-plugin';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { placeInScope, provinceWide, type Place } from '../../auth/scope.js';
import { NoticeSource, type Notice, type NoticeCursor } from './notices.js';
import { WebhookSender } from './webhook.js';
import { noticeStore, type NoticeStore, type StoredNotice } from './store.js';

const KEEP = 500;

/**
 * Notices for people: looked for every ALERT_POLL_MS, kept in the database (the list shows the last 500)
 * for the command center's notification list, and sent to the outgoing webhook when one is configured.
 * The source's cursor is kept with them: a restart goes on from where it stopped and keeps the list.
 * Several instances may run it at once: a notice is kept (so listed and sent) by the first to find it,
 * and every instance lists what any of them kept, read from the database.
 */
export class NotifyService {
  private cursor: NoticeCursor | null = null;
  private ticking: Promise<void> | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly source: NoticeSource,
    private readonly store: NoticeStore,
    private readonly o: {
      clock: () => number; staleMs: number; webhook: WebhookSender | null;
      /** where a station stands (its district and commune), so a district's command center gets its own notices */
      stationPlaces?: (stationIds: readonly string[]) => Promise<Map<string, Place>>;
    },
  ) {}

  /** Reads the stored cursor once; every caller awaits the same start. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      this.cursor = (await this.store.cursor()) ?? (await this.source.head());
    })().catch((err: unknown) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  /** Kept once by key: a notice found again after a restart (a station still silent) is neither listed nor sent twice. */
  private async keep(notices: readonly Notice[], cursor: NoticeCursor | null): Promise<Notice[]> {
    const kept = await this.store.add(notices, cursor);
    return kept.map(({ seq: _seq, ...n }) => n);
  }

  /** Look for new notices, keep them, hand them to the webhook, and send what is due. */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        await this.start();
        const { notices, cursor } = await this.source.since(this.cursor!, this.o.clock(), this.o.staleMs);
        const kept = await this.keep(notices, cursor);
        this.cursor = cursor;
        this.o.webhook?.enqueue(kept);
        await this.o.webhook?.flush();
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  /** Notices made elsewhere (the daily report): kept and sent like the others. */
  async publish(notices: Notice[]): Promise<void> {
    await this.start();
    const kept = await this.keep(notices, null);
    this.o.webhook?.enqueue(kept);
    await this.o.webhook?.flush();
  }

  /** The notices of the reader's area after `after` (a seq from an earlier answer), newest last. */
  async list(actor: AuthUser, after: number): Promise<{ items: StoredNotice[]; last: number }> {
    const scope = scopeOf(actor);
    const { items: fresh, last } = await this.store.list(after, KEEP);
    const stations = [...new Set(fresh.flatMap((n) => (n.stationId === null ? [] : [n.stationId])))];
    const places = stations.length > 0 && this.o.stationPlaces ? await this.o.stationPlaces(stations) : new Map<string, Place>();
    const seen = (n: Notice) => {
      // a province-wide notice (the daily report) is for readers of the whole province
      if (n.stationId === null) return provinceWide(scope) && placeInScope(scope, { province: n.province });
      return placeInScope(scope, places.get(n.stationId) ?? { province: n.province });
    };
    return { items: fresh.filter(seen), last };
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
    const source = new NoticeSource(app.database.client);
    const service = new NotifyService(source, noticeStore(app.database.client), {
      clock: app.clock, staleMs: app.config.heartbeatStaleSeconds * 1000, webhook, stationPlaces: (ids) => source.stationPlaces(ids),
    });
    app.decorate('notify', service);
    let timer: NodeJS.Timeout | null = null;
    const loop = () => {
      timer = setTimeout(() => void service.tick().catch((err: unknown) => app.log.error({ err }, 'notices')).finally(() => timer && loop()), app.config.alertPollMs);
    };
    app.addHook('onReady', async () => {
      await service.start();
      loop();
    });
    app.addHook('onClose', async () => {
      if (timer) clearTimeout(timer);
      timer = null;
    });
  },
  { name: 'notify', fastify: '5.x', dependencies: ['database'] },
);
