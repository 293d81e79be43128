package io.undermoon.local;

import io.undermoon.process.EtcdCluster;
import io.undermoon.process.FreePorts;
import io.undermoon.process.RedisProcess;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole undermoon system on this machine: a memory broker, coordinators and N server proxies,
 * each a child JVM, every proxy with 2 redis-server processes, the proxies registered in the broker
 * on simulated hosts {@code localhost1..localhostK}. With {@link Builder#etcd(int)} the store is an
 * etcd cluster of real etcd members and several brokers share it (broker i and etcd member i on
 * host i); every coordinator is given every broker address. Used by {@code ./undermoon local} and by
 * the end-to-end tests; everything listens on 127.0.0.1.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    /**
     * How to start a child JVM of the undermoon programs. {@code mainClass} is the launcher's entry
     * point: declared in the built jar's manifest ({@link #ofRepository}), or, for the current class
     * path, by the {@link ProgramEntry} the cli module declares (null here, looked up at start).
     */
    public record Runtime(String java, String classpath, List<String> jvmOptions, String mainClass) {
        private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx512m",
                "-XX:+IgnoreUnrecognizedVMOptions", "--enable-native-access=ALL-UNNAMED",
                "-Dio.netty.leakDetection.level=disabled", "-Dio.netty.buffer.checkAccessible=false",
                "-Dio.netty.buffer.checkBounds=false");

        /** The JVM and classpath of the current process. */
        public static Runtime current() {
            String cp = System.getProperty("java.class.path");
            return new Runtime(currentJava(), cp, AotCache.appendTo(OPTIONS, cp, System.getenv()), null);
        }

        /** The current JVM running the built command-line jar ({@code cli/target/undermoon.jar}) of a checkout. */
        public static Runtime ofRepository(Path root) {
            Path jar = root.resolve("cli/target/undermoon.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("build the project first: " + jar + " is missing");
            }
            try (JarFile f = new JarFile(jar.toFile())) {
                Manifest m = f.getManifest();
                String main = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
                if (main == null || main.isBlank()) {
                    throw new IllegalStateException(jar + " declares no Main-Class in its manifest");
                }
                return new Runtime(currentJava(), jar.toString(), AotCache.appendTo(OPTIONS, jar.toString(), System.getenv()), main);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jar, e);
            }
        }

        /** This runtime without the AOT cache option ({@link AotCache}), for a comparison. */
        public Runtime withoutAotCache() {
            return new Runtime(java, classpath, jvmOptions.stream().filter(o -> !AotCache.isUseOption(o)).toList(), mainClass);
        }

        /** The entry point's class name: the jar's, or the one declared on the current class path. */
        String entryPoint() {
            return mainClass != null ? mainClass : ProgramEntry.declared().mainClass().getName();
        }

        private static String currentJava() {
            return ProcessHandle.current().info().command().orElse("java");
        }
    }

    /** One server proxy with its two Redis. */
    public static final class ProxyNode {
        private final String address;
        private final String host;
        private final RedisProcess redis1;
        private final RedisProcess redis2;
        private final ProgramProcess process;

        ProxyNode(String address, String host, RedisProcess redis1, RedisProcess redis2, ProgramProcess process) {
            this.address = address;
            this.host = host;
            this.redis1 = redis1;
            this.redis2 = redis2;
            this.process = process;
        }

        public String address() {
            return address;
        }

        public int port() {
            return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        }

        public String host() {
            return host;
        }

        public RedisProcess redis1() {
            return redis1;
        }

        public RedisProcess redis2() {
            return redis2;
        }

        public ProgramProcess process() {
            return process;
        }

        /** kill -9 the proxy and both of its Redis, as a machine failure would. */
        public void killWithRedis() {
            process.kill();
            redis1.kill();
            redis2.kill();
        }
    }

    private final LocalClusterBuilder config;
    private final Path dataDir;
    private final Path logDir;
    private final BrokerHttp http = new BrokerHttp(Duration.ofSeconds(2));
    private final List<ProxyNode> proxies = new ArrayList<>();
    private final List<ProgramProcess> coordinators = new ArrayList<>();
    private final List<String> coordinatorAddresses = new ArrayList<>();
    private final List<ProgramProcess> brokers = new ArrayList<>();
    private final List<String> brokerAddresses = new ArrayList<>();
    private EtcdCluster etcd;
    private int nextFixedPort;

    LocalCluster(LocalClusterBuilder config) {
        this.config = config;
        try {
            this.dataDir = config.dataDir != null ? Files.createDirectories(config.dataDir)
                    : Files.createTempDirectory("undermoon-local-");
            this.logDir = Files.createDirectories(dataDir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LocalClusterBuilder builder() {
        return new LocalClusterBuilder();
    }

    private int port(int preferred) {
        if (config.fixedPorts && FreePorts.isFree(preferred)) {
            return preferred;
        }
        return FreePorts.next();
    }

    void startAll() {
        if (config.etcdMembers > 0) {
            etcd = EtcdCluster.start(config.etcdMembers);
        }
        for (int i = 0; i < config.brokers; i++) {
            String address = "127.0.0.1:" + port(7799 + i);
            Map<String, String> benv = new HashMap<>();
            benv.put("UNDERMOON_ADDRESS", address);
            if (etcd != null) {
                benv.put("UNDERMOON_STORAGE_TYPE", "etcd");
                benv.put("UNDERMOON_ETCD_ENDPOINTS", etcd.endpointList());
                benv.put("UNDERMOON_ETCD_PREFIX", "/undermoon");
                benv.put("UNDERMOON_REFRESH_INTERVAL", "5");
            } else {
                benv.put("UNDERMOON_META_FILENAME", dataDir.resolve("metadata").toString());
                benv.put("UNDERMOON_RECOVER_FROM_META_FILE", "true");
                benv.put("UNDERMOON_AUTO_UPDATE_META_FILE", "true");
            }
            benv.putAll(config.brokerEnv);
            ProgramProcess b = ProgramProcess.of(config.brokers == 1 ? "broker" : "broker-" + (i + 1), config.runtime,
                    "broker", benv, logDir);
            b.start();
            brokers.add(b);
            brokerAddresses.add(address);
        }

        for (int i = 0; i < config.proxies; i++) {
            RedisProcess r1 = RedisProcess.startOnPort(port(7001 + 2 * i), redisArgs());
            RedisProcess r2 = RedisProcess.startOnPort(port(7002 + 2 * i), redisArgs());
            String address = "127.0.0.1:" + port(6001 + i);
            Map<String, String> penv = new HashMap<>();
            penv.put("UNDERMOON_ADDRESS", address);
            penv.put("UNDERMOON_ANNOUNCE_ADDRESS", address);
            penv.putAll(config.proxyEnv);
            ProgramProcess p = ProgramProcess.of("proxy-" + (i + 1), config.runtime, "proxy", penv, logDir);
            p.start();
            proxies.add(new ProxyNode(address, "localhost" + (i % config.hosts + 1), r1, r2, p));
        }
        for (int i = 0; i < config.coordinators; i++) {
            String address = "127.0.0.1:" + port(6699 + i);
            Map<String, String> cenv = new HashMap<>();
            cenv.put("UNDERMOON_ADDRESS", address);
            cenv.put("UNDERMOON_BROKER_ADDRESS", String.join(",", brokerAddresses));
            cenv.put("UNDERMOON_REPORTER_ID", "coordinator-" + (i + 1));
            cenv.putAll(config.coordinatorEnv);
            ProgramProcess p = ProgramProcess.of("coordinator-" + (i + 1), config.runtime, "coordinator", cenv, logDir);
            coordinatorAddresses.add(address);
            coordinators.add(p);
        }
        for (String b : brokerAddresses) {
            await("the broker answers on " + b, Duration.ofSeconds(60), () -> brokerUp(b));
        }
        for (ProxyNode p : proxies) {
            await(p.process().name() + " answers on " + p.address(), Duration.ofSeconds(60), () -> RespCheck.pong(p.address()));
        }
        for (ProxyNode p : proxies) {
            registerProxy(p);
        }
        coordinators.forEach(ProgramProcess::start);
        for (String c : coordinatorAddresses) {
            await("coordinator answers on " + c, Duration.ofSeconds(60), () -> RespCheck.answers(c, "CONFIG", "GET", "brokers"));
        }
        LOG.info("local cluster up: brokers {}{}, {} proxies, {} coordinators, data in {}", brokerAddresses,
                etcd == null ? "" : " on etcd " + etcd.endpointList(), proxies.size(), coordinators.size(), dataDir);
    }

    private String[] redisArgs() {
        List<String> args = new ArrayList<>();
        if (config.redisAppendOnly) {
            args.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        }
        if (config.redisDisklessSyncDelay != 0) {
            // extra arguments come after RedisProcess's own, so this one wins over its 0
            args.addAll(List.of("--repl-diskless-sync-delay", Integer.toString(config.redisDisklessSyncDelay)));
        }
        return args.toArray(String[]::new);
    }

    /** POST /api/v3/proxies/meta; 409 (already registered) is fine. */
    public void registerProxy(ProxyNode p) {
        String body = BrokerHttp.json(Map.of("proxy_address", p.address(),
                "nodes", List.of(p.redis1().address(), p.redis2().address()), "host", p.host()));
        int status = http("POST", "/api/v3/proxies/meta", body).statusCode();
        if (status != 200 && status != 409) {
            throw new IllegalStateException("registering " + p.address() + " failed with HTTP " + status);
        }
    }

    /** POST /api/v3/clusters/meta/<name> with the node number. */
    public void createCluster(String name, int nodes) {
        HttpResponse<String> r = http("POST", "/api/v3/clusters/meta/" + name, BrokerHttp.json(Map.of("node_number", nodes)));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("creating cluster " + name + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /**
     * A broker API call; returns the response (any status). Sent to the first broker that is alive
     * (all of them serve the whole API when they share etcd).
     */
    public HttpResponse<String> http(String method, String path, String jsonBody) {
        UncheckedIOException last = null;
        for (int i = 0; i < brokers.size(); i++) {
            if (brokers.size() > 1 && !brokers.get(i).isAlive()) {
                continue;
            }
            try {
                return http(brokerAddresses.get(i), method, path, jsonBody);
            } catch (UncheckedIOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IllegalStateException("no broker is alive");
    }

    /** A call to one broker. */
    public HttpResponse<String> http(String broker, String method, String path, String jsonBody) {
        return http.send(broker, method, path, jsonBody, Duration.ofSeconds(60));
    }

    /**
     * Waits until the cluster is served: {@code nodes / 2} proxies report it, each shows all 16384
     * slots covered (CLUSTER INFO) and accepts commands (UMCTL READY).
     */
    public void awaitServing(String name, int nodes, Duration timeout) {
        await("cluster " + name + " served by " + nodes / 2 + " proxies", timeout, () -> servingProxies(name).size() == nodes / 2);
    }

    /** The proxies that serve the cluster with every slot covered. */
    public List<ProxyNode> servingProxies(String name) {
        return RespCheck.serving(proxies, name);
    }

    private boolean brokerUp(String broker) {
        try {
            return http(broker, "GET", "/api/v3/version", null).statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Polls until the condition holds; fails with the description and the logs' location. */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting until " + what
                + " (logs in " + logDir + ")");
    }

    /** The first broker's address. */
    public String brokerAddress() {
        return brokerAddresses.get(0);
    }

    /** The first broker. */
    public ProgramProcess broker() {
        return brokers.get(0);
    }

    public List<ProgramProcess> brokers() {
        return List.copyOf(brokers);
    }

    public List<String> brokerAddresses() {
        return List.copyOf(brokerAddresses);
    }

    /** The etcd cluster under the brokers, or null for the memory broker. */
    public EtcdCluster etcd() {
        return etcd;
    }

    public List<ProxyNode> proxies() {
        return List.copyOf(proxies);
    }

    public List<ProgramProcess> coordinators() {
        return List.copyOf(coordinators);
    }

    public List<String> coordinatorAddresses() {
        return List.copyOf(coordinatorAddresses);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logDir() {
        return logDir;
    }

    /** Proxy address -> its Redis addresses, for printing. */
    public Map<String, List<String>> layout() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (ProxyNode p : proxies) {
            m.put(p.address() + " (" + p.host() + ")", List.of(p.redis1().address(), p.redis2().address()));
        }
        return m;
    }

    @Override
    public void close() {
        coordinators.forEach(ProgramProcess::stop);
        for (ProxyNode p : proxies) {
            p.process().stop();
        }
        brokers.forEach(ProgramProcess::stop);
        for (ProxyNode p : proxies) {
            for (RedisProcess r : List.of(p.redis1(), p.redis2())) {
                r.kill();
                if (config.dataDir != null) {
                    // a data directory the caller chose keeps everything needed to look into a run
                    r.copyLogTo(logDir.resolve("redis-" + r.port() + ".log"));
                }
                r.close();
            }
        }
        if (etcd != null) {
            etcd.close();
        }
    }
}
