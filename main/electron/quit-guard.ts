// Quitting: with runs in flight, ask first; then stop the core (watchers, server, runs end
// Canceled) before the process exits. Electron's before-quit is synchronous, so quitting is
// prevented once, the async shutdown runs, and app.quit() is called again.

export type QuitStep =
  /** Nothing to stop (or already stopped): let Electron quit. */
  | 'quit'
  /** Prevent this quit, ask the user, then call confirm() or cancel(). */
  | 'ask'
  /** Prevent this quit and stop the core; quit again once stopped. */
  | 'shutdown'
  /** A shutdown is under way: prevent, it will quit when done. */
  | 'wait';

export class QuitGuard {
  private state: 'open' | 'asking' | 'stopping' | 'stopped' = 'open';

  /** On before-quit, with the runs in flight now. */
  onBeforeQuit(inFlight: number): QuitStep {
    switch (this.state) {
      case 'stopped':
        return 'quit';
      case 'stopping':
      case 'asking':
        return 'wait';
      case 'open':
        if (inFlight > 0) {
          this.state = 'asking';
          return 'ask';
        }
        this.state = 'stopping';
        return 'shutdown';
    }
  }

  /** The user chose to quit anyway. */
  confirm(): void {
    if (this.state === 'asking') this.state = 'stopping';
  }

  /** The user chose to stay. */
  cancel(): void {
    if (this.state === 'asking') this.state = 'open';
  }

  /** The core is stopped: the next before-quit passes. */
  stopped(): void {
    this.state = 'stopped';
  }

  get quitting(): boolean {
    return this.state === 'stopping' || this.state === 'stopped';
  }
}

export const quitQuestion = (inFlight: number) => ({
  message: `${inFlight} pipeline run${inFlight === 1 ? ' is' : 's are'} in flight`,
  detail: 'Quitting cancels them: their running steps are stopped and recorded as Canceled. Runs with Slurm jobs in flight go on without the app.',
  buttons: ['Cancel runs and quit', 'Keep running'],
});
