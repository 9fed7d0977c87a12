/**
 * Who may approve, one rule per kind of `approvers` in the channel spec (compiler/manifest.ts `Approvers`): the
 * person who asked, a list of Slack user ids, or the members of a Slack user group (looked up when someone
 * clicks, so a change to the group counts at once). A webhook or CLI asker is its own approver.
 */
import type { Approvers } from '../../compiler/manifest.ts';
import type { PendingAction } from './pendingAction.ts';

/** Members of a Slack user group (the Web API's usergroups.users.list). */
export type GroupMembers = (usergroup: string) => Promise<string[]>;

type Rule<K extends Approvers['kind']> = (approvers: Extract<Approvers, { kind: K }>, action: PendingAction, by: string, members: GroupMembers) => Promise<boolean>;

const RULES: { [K in Approvers['kind']]: Rule<K> } = {
  asker: async (_approvers, action, by) => by === action.asker.id,
  users: async (approvers, _action, by) => approvers.users.includes(by),
  usergroup: async (approvers, _action, by, members) => (await members(approvers.usergroup)).includes(by),
};

export function mayApprove(approvers: Approvers, action: PendingAction, by: string, members: GroupMembers): Promise<boolean> {
  return (RULES[approvers.kind] as Rule<typeof approvers.kind>)(approvers as never, action, by, members);
}

/** Who the asker is told may approve. */
export function approversText(approvers: Approvers): string {
  switch (approvers.kind) {
    case 'asker':
      return 'you (the person who asked)';
    case 'users':
      return approvers.users.map((u) => `<@${u}>`).join(', ');
    case 'usergroup':
      return `a member of <!subteam^${approvers.usergroup}>`;
  }
}
