/**
 * Rule: a flagged data breach suggests giving the Legal role to someone (the seed: "Legal Notification
 * — notify legal counsel immediately"; the Legal role is "for security incidents"). The Legal role is
 * the pinned playbook's role with id "legal", else the first whose title says Legal.
 */
import type { Playbook, Role } from '../playbook/schema';

export function legalRole(playbook: Playbook): Role | undefined {
  return playbook.roles.find((r) => r.id === 'legal') ?? playbook.roles.find((r) => /legal/i.test(r.title));
}
