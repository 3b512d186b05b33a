/**
 * @module version
 * Ward's version, as released.
 */
export const WARD_VERSION = '0.1.0';
