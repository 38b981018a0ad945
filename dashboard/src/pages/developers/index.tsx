// The developers page: a placeholder until its round of issue 12 (or the money issues) fills it.
import { Placeholder } from "../../app/placeholder.tsx";

export const Page = () => <Placeholder title="nav.developers" />;
