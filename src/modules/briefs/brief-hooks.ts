import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type AmendmentHook = (em: EntityManager, briefId: string, actorId: string) => Promise<void>;

/**
 * Lets modules above `briefs` take part in a brief's transactions without `briefs` importing
 * them: the bids module registers what an amendment does to the bids (they return to draft).
 */
@Injectable()
export class BriefHooks {
  private readonly amended: AmendmentHook[] = [];

  onAmended(hook: AmendmentHook): void {
    this.amended.push(hook);
  }

  async runAmended(em: EntityManager, briefId: string, actorId: string): Promise<void> {
    for (const hook of this.amended) await hook(em, briefId, actorId);
  }
}
