/** The queue layer's public face: one interface, the embedded and SQS implementations, the local consumer. */
export type { MessageQueue, SendResult, ReceivedMessage, ReceiveOptions, DeadLetter, QueueStats } from './queue.ts';
export { QueueError } from './queue.ts';
export { createLocalQueue, type LocalQueueOptions } from './localQueue.ts';
export { startConsumer, type Consumer, type ConsumerOptions } from './consumer.ts';
export { createSqsQueue, type SqsQueueOptions } from './sqsQueue.ts';
