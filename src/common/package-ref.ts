import { z } from 'zod';

/**
 * A package named in a request body, the same way everywhere: its name as a JSON string (`"pro"`,
 * `"none"`) or its id as a JSON integer (`2`, `0`). A numeric string (`"2"`) is a name, and no package
 * has one (names start with a letter), so it is an unknown package rather than an id.
 */
export const packageRefSchema = z.union([z.string().min(1).max(64), z.number().int().min(0)]);
