// A task folder whose .proto does not parse: `loadworker run` stops at start with exit 2.
import { defineTask } from "loadworker";

export const never = defineTask({ name: "never", fn: () => {} });
