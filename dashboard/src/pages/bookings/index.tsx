// Bookings: /app/bookings is the searchable, filterable list (its filters in the URL); /app/bookings/<id> is one
// booking with its actions and its timeline.
import { subPath } from "../../models/paths.ts";
import { route } from "../../models/router.ts";
import { BookingPage } from "./detail.tsx";
import { BookingList } from "./list.tsx";
import "./bookings.css";

export function Page() {
  const id = subPath(route.value.path);
  return id ? <BookingPage id={id} key={id} /> : <BookingList />;
}
