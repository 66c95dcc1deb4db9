/// <reference lib="webworker" />
// The analytics page's worker: the report's reads and computation off the page's main thread.
import { analyticsSpec, type AnalyticsRequest } from './analytics';
import { LiveComputation, type ComputationRequest } from './live-computation';

declare const self: DedicatedWorkerGlobalScope;

const computation = new LiveComputation(analyticsSpec, (answer) => self.postMessage(answer));
self.onmessage = (event: MessageEvent<ComputationRequest<AnalyticsRequest>>) =>
	computation.handle(event.data);
