// The page's Content-Security-Policy forbids eval: tell zod (used by the shared contract) not to
// probe for it, which would log a CSP violation on every start. Imported first by main.ts.
import { config } from 'zod';

config({ jitless: true });
