// Placeholder until the elements land.
export {};
