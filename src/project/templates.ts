// init's templates, imported as text so that `bun build --compile` carries them into the binary:
// read from disk beside this file, `./loadworker init` found no templates folder in $bunfs.
// example.ts and tsconfig.json are `.template` files: as .ts and .json the compiler would read them as code.
import DOCKERFILE from "./templates/Dockerfile" with { type: "text" };
import EXAMPLE_TS from "./templates/example.ts.template" with { type: "text" };
import SUPERVISORD_CONF from "./templates/supervisord.conf" with { type: "text" };
import SUPERVISORD_SH from "./templates/supervisord.sh" with { type: "text" };
import TSCONFIG_JSON from "./templates/tsconfig.json.template" with { type: "text" };

/** Each template's text by the name init writes it under ({{DIR}} still in it). */
export const TEMPLATES = {
  "example.ts": EXAMPLE_TS,
  Dockerfile: DOCKERFILE,
  "supervisord.conf": SUPERVISORD_CONF,
  "supervisord.sh": SUPERVISORD_SH,
  "tsconfig.json": TSCONFIG_JSON,
} as const;
