export declare const NATIVE_FOLDER: string;
export declare function electronBindingDir(projectRoot: string, abi: string): string;
