package io.execsim.core.fs;

/**
 * What a mount holds now.
 *
 * @param path where it is mounted
 * @param spec its limits
 * @param usedBytes data in use, in whole blocks
 * @param usedInodes inodes in use, its root included
 */
public record MountUsage(String path, MountSpec spec, long usedBytes, long usedInodes) {
}
