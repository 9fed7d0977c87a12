/** One entry per channel kind (compiler/manifest.ts `ManifestChannel['kind']`); adding a kind means adding a line here. */
import type { InboundMessage } from '../processing/inbound.ts';
import type { ChannelKind, ChannelKindName } from './channelKind.ts';
import { slackChannel } from './slack/channel.ts';
import { webhookChannel } from './webhook/channel.ts';

export const channelKinds: { [K in ChannelKindName]: ChannelKind<K> } = {
  slack: slackChannel,
  webhook: webhookChannel,
};

/** A processed message's metric source and counts, by its channel kind (ProcessorDeps.processed). */
export const channelMetricsOf = (message: InboundMessage): ReturnType<ChannelKind<ChannelKindName>['processed']> =>
  (channelKinds[message.kind] as ChannelKind<typeof message.kind>).processed(message as never);
