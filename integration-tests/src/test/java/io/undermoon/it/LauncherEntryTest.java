package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.cli.Main;
import io.undermoon.local.LocalCluster;
import io.undermoon.local.ProgramEntry;
import io.undermoon.process.Repository;
import org.junit.jupiter.api.Test;

/**
 * A local system starts its programs through a declared entry point: the built jar's manifest (for
 * tools whose class path has no cli, such as the benchmarks) and the ProgramEntry service cli
 * declares (for a class path with it) must name the same launcher.
 */
class LauncherEntryTest {
    @Test
    void theJarManifestAndTheDeclaredServiceNameTheSameLauncher() {
        String fromJar = LocalCluster.Runtime.ofRepository(Repository.root()).mainClass();
        assertThat(fromJar).isEqualTo(Main.class.getName());
        assertThat(ProgramEntry.declared().mainClass()).isEqualTo(Main.class);
        assertThat(LocalCluster.Runtime.current().mainClass()).as("looked up when a program starts").isNull();
    }
}
