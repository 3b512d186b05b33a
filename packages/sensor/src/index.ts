/**
 * @module sensor
 * Ward's sensor: runs wire over capture files or a live interface and turns events into device observations.
 */
export const PACKAGE = '@ward/sensor';
