/** The DM Kit version, recorded on every element class so a clash between two loaded copies can be reported. */
export const VERSION = '0.1.0';
