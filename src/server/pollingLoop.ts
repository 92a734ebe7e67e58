import { outsideRequest } from "./requestScope";

/**
 * A background loop of the serving process: runs `step` at once while it
 * reports more work, else every `pollMs`; after a failure, `onError` is
 * told and the loop waits `pollMs`. One step at a time; stop() takes no new
 * step and waits for the one in flight. Its timer never keeps a finished
 * process alive (shutdown calls stop()).
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly step: () => Promise<boolean>,
    private readonly pollMs: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    // The loop belongs to the process, not to the request that may have started or woken it.
    this.timer = outsideRequest(() => setTimeout(() => {
      this.timer = null;
      this.running = this.step()
        .then((more) => this.schedule(more ? 0 : this.pollMs()))
        .catch((err: unknown) => {
          this.onError(err);
          this.schedule(this.pollMs());
        });
    }, ms));
    this.timer.unref();
  }
}
