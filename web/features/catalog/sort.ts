import type { OrderField, TrackOrder } from "./queries";

/** First click sorts ascending, a second click on the same column flips it. */
export function nextOrder(current: TrackOrder | null, field: OrderField): TrackOrder {
  return current?.field === field ? { field, direction: current.direction === "ASC" ? "DESC" : "ASC" } : { field, direction: "ASC" };
}
