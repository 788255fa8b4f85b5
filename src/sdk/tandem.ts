// The SDK's entry object: holds the provider settings and starts or resumes threads (threadFactory.ts does
// the wiring). Codex-SDK-shaped: `new Tandem(options).startThread(threadOptions)`, `resumeThread(id)`.
import type { TandemOptions, ThreadOptions } from './options';
import type { Thread } from './thread';
import { ThreadFactory } from './threadFactory';

export class Tandem {
  private readonly factory: ThreadFactory;

  constructor(options: TandemOptions = {}) {
    this.factory = new ThreadFactory(options);
  }

  /** A new thread. Its id is known at once; its log is written as it runs. */
  startThread(options: ThreadOptions = {}): Thread {
    return this.factory.startThread(options);
  }

  /**
   * Continues a logged thread (from the SDK, `tandem exec` or a sub-agent): its conversation, and its
   * working directory and model unless `options` say otherwise. Rejects when there is no such log.
   */
  resumeThread(id: string, options: ThreadOptions = {}): Promise<Thread> {
    return this.factory.resumeThread(id, options);
  }
}
