/**
 * @module lab
 * Ward's hospital network in a box: real clinical peers and attacks in network namespaces, recorded as labelled captures.
 */
export const PACKAGE = '@ward/lab';
