/** The image a service runs: its `image:`, else `<project>-<service>` (the name compose builds it under). */
export function serviceImageRef(projectName: string, serviceName: string, image: string | undefined): string {
  return image ?? `${projectName}-${serviceName}`;
}
