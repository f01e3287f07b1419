/** The longest segment name the store keeps (the name field stops there too). */
export const SEGMENT_NAME_MAX = 80;
