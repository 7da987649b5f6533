export function installProfileToggle(name: string): void;
