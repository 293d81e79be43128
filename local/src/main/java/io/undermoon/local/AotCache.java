package io.undermoon.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The proxy's ahead-of-time cache: classes loaded and linked (and, from JDK 25, method profiles)
 * recorded by a training run ({@code undermoon aot-train}, started by the launcher after a build),
 * so that a new proxy JVM starts with them instead of loading, linking and profiling from scratch.
 * JDK 25 and later: an AOT cache ({@code -XX:AOTCache}, JEP 483/514/515); JDK 21 to 24: a dynamic
 * AppCDS archive ({@code -XX:SharedArchiveFile}), classes only. The file lives next to the jar,
 * named after the exact JDK version ({@code cli/target/undermoon-<java.version>.aot|.jsa}), and counts
 * only while no jar is newer than it (the jar and every jar of its {@code lib/}): the launcher rebuilds it
 * after each build. {@code UNDERMOON_AOT_CACHE=off} turns it off. A cache the JVM refuses anyway
 * (another JDK build, other module options) costs a warning line; the JVM then starts without it.
 */
public final class AotCache {
    /** The environment variable that turns the cache off ({@code off}); anything else, or unset, means on. */
    public static final String ENV = "UNDERMOON_AOT_CACHE";

    private AotCache() {}

    /** Whether the environment leaves the cache on: unset or {@code on}; {@code off} turns it off; anything else is an error. */
    public static boolean enabled(Map<String, String> env) {
        String v = env.get(ENV);
        if (v == null || v.isBlank() || v.strip().equalsIgnoreCase("on")) {
            return true;
        }
        if (v.strip().equalsIgnoreCase("off")) {
            return false;
        }
        throw new IllegalArgumentException(ENV + " must be on or off, got '" + v + "'");
    }

    /** JDK 25 and later have the AOT cache with one-step training; earlier ones the AppCDS archive. */
    public static boolean aotCacheSupported(int javaFeature) {
        return javaFeature >= 25;
    }

    /** The cache file for {@code jar} and the JDK of this version. */
    public static Path file(Path jar, int javaFeature, String javaVersion) {
        String ext = aotCacheSupported(javaFeature) ? ".aot" : ".jsa";
        return jar.toAbsolutePath().getParent().resolve("undermoon-" + javaVersion + ext);
    }

    /** The cache file for {@code jar} and the running JDK (the one a {@link LocalCluster} starts its children with). */
    public static Path file(Path jar) {
        return file(jar, Runtime.version().feature(), System.getProperty("java.version"));
    }

    /** The option that makes a JVM of this version use the cache. */
    public static String useOption(Path cache, int javaFeature) {
        return (aotCacheSupported(javaFeature) ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache;
    }

    /** Whether a JVM option is one {@link #useOption} writes. */
    public static boolean isUseOption(String option) {
        return option.startsWith("-XX:AOTCache=") || option.startsWith("-XX:SharedArchiveFile=");
    }

    /** The option that makes a training JVM of this version write the cache when it exits. */
    public static String trainOption(Path cache, int javaFeature) {
        return (aotCacheSupported(javaFeature) ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + cache;
    }

    /** Whether {@code cache} exists and neither the jar nor any jar in the jar's {@code lib/} is newer. */
    public static boolean fresh(Path cache, Path jar) {
        try {
            if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
                return false;
            }
            FileTime made = Files.getLastModifiedTime(cache);
            if (Files.getLastModifiedTime(jar).compareTo(made) > 0) {
                return false;
            }
            Path lib = jar.toAbsolutePath().getParent().resolve("lib");
            if (!Files.isDirectory(lib)) {
                return true;
            }
            try (Stream<Path> jars = Files.list(lib)) {
                return jars.noneMatch(j -> newer(j, made));
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean newer(Path p, FileTime than) {
        try {
            return Files.getLastModifiedTime(p).compareTo(than) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The options a child JVM of the running JDK with this class path gets: the use option when the
     * class path is one jar with a fresh cache and the environment leaves it on, else none.
     */
    public static List<String> optionsFor(String classpath, Map<String, String> env) {
        if (!enabled(env) || classpath == null || classpath.isEmpty() || classpath.contains(java.io.File.pathSeparator)
                || !classpath.toLowerCase(Locale.ROOT).endsWith(".jar")) {
            return List.of();
        }
        Path jar = Path.of(classpath);
        Path cache = file(jar);
        return fresh(cache, jar) ? List.of(useOption(cache, Runtime.version().feature())) : List.of();
    }

    /** {@code options} plus {@link #optionsFor}{@code (classpath, env)}. */
    static List<String> appendTo(List<String> options, String classpath, Map<String, String> env) {
        List<String> aot = optionsFor(classpath, env);
        return aot.isEmpty() ? options : Stream.concat(options.stream(), aot.stream()).toList();
    }
}
