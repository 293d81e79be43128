package io.undermoon.broker.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.undermoon.broker.service.BrokerService;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.model.broker.AddProxyRequest;
import io.undermoon.model.broker.AddressesResponse;
import io.undermoon.model.broker.ClusterNodeNumberRequest;
import io.undermoon.model.broker.FailedAddressesResponse;
import io.undermoon.model.broker.HostsCannotFailResponse;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.NamesResponse;
import io.undermoon.model.broker.CreateClusterRequest;
import io.undermoon.model.broker.NodeNumberRequest;
import io.undermoon.model.broker.ProxyResponse;
import io.undermoon.model.broker.ReplicaAddresses;
import io.undermoon.model.broker.ReplicaSyncReport;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's HTTP API under {@code /api/v3/} (spec §3), on Javalin with virtual-thread handlers.
 * Handlers only parse, call {@link BrokerService} and serialize; every failure is a JSON error
 * ({@link ApiError}) with the reference's status.
 */
public final class BrokerHttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerHttpApi.class);
    private static final String API = "/api/v3";

    private final BrokerService service;
    private final long maxBody;
    private final List<Consumer<JavalinConfig>> extensions;

    private BrokerHttpApi(BrokerService service, long maxBody, List<Consumer<JavalinConfig>> extensions) {
        this.service = service;
        this.maxBody = maxBody;
        this.extensions = List.copyOf(extensions);
    }

    /** A configured, not yet started server. */
    public static Javalin create(BrokerService service, long maxBodySize) {
        return create(service, maxBodySize, List.of());
    }

    /** With routes beyond the API (the metrics, the dashboard), each added by an extension. */
    public static Javalin create(BrokerService service, long maxBodySize, List<Consumer<JavalinConfig>> extensions) {
        BrokerHttpApi api = new BrokerHttpApi(service, maxBodySize, extensions);
        return Javalin.create(config -> api.configure(config));
    }

    @FunctionalInterface
    private interface Route {
        void handle(Context ctx) throws Exception;
    }

    private Handler wrap(Route route) {
        return ctx -> {
            try {
                route.handle(ctx);
            } catch (BrokerException e) {
                error(ctx, e);
            }
        };
    }

    private static void error(Context ctx, BrokerException e) {
        ctx.status(e.error().status());
        ctx.contentType("application/json");
        ctx.result(ApiError.body(e));
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.concurrency.useVirtualThreads = true;
        // gzip is ours (Responses), so that it follows Accept-Encoding exactly
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.http.maxRequestSize = maxBody;
        config.http.generateEtags = false;
        config.router.ignoreTrailingSlashes = true;
        // requests Jetty refuses before any handler runs (a bad request line, an invalid path
        // encoding, headers too large) get the same JSON error body as every other failure
        config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));

        var r = config.routes;
        r.exception(HttpResponseException.class, (e, ctx) ->
                error(ctx, new BrokerException(ApiError.codeForStatus(e.getStatus()), e.getMessage())));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure handling {} {}", ctx.method(), ctx.path(), e);
            error(ctx, new BrokerException(BrokerError.INTERNAL_ERROR, "internal error: " + e));
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, new BrokerException(BrokerError.NOT_FOUND, "no route for " + ctx.method() + " " + ctx.path()));
            }
        });

        // metadata and admin
        r.get(API + "/version", wrap(ctx -> ctx.contentType("text/plain").result(BrokerService.VERSION)));
        r.get(API + "/metadata", wrap(ctx -> Responses.json(ctx, service.metadata())));
        r.put(API + "/metadata", wrap(ctx -> {
            service.putMetadata(Requests.json(ctx, MetaStore.class, maxBody));
            Responses.empty(ctx);
        }));
        r.get(API + "/epoch", wrap(ctx -> Responses.json(ctx, service.metadata().globalEpoch())));
        r.put(API + "/epoch/{epoch}", wrap(ctx -> {
            if ("recovery".equals(ctx.pathParam("epoch"))) {
                Responses.json(ctx, new FailedAddressesResponse(service.recoverEpoch()));
            } else {
                service.forceBumpEpoch(Requests.pathNumber(ctx, "epoch"));
                Responses.empty(ctx);
            }
        }));
        r.get(API + "/config", wrap(ctx -> Responses.json(ctx, new ReplicaAddresses(service.replicaAddresses()))));
        r.put(API + "/config", wrap(ctx -> {
            service.setReplicaAddresses(Requests.json(ctx, ReplicaAddresses.class, maxBody).replicaAddresses());
            Responses.empty(ctx);
        }));
        r.post(API + "/resources/failures/check", wrap(ctx ->
                Responses.json(ctx, new HostsCannotFailResponse(service.hostsCannotFail()))));

        // coordinator-facing
        r.get(API + "/clusters/names", wrap(ctx -> Responses.json(ctx, new NamesResponse(service.clusterNames(
                Requests.queryNumber(ctx, "offset", 0), Requests.queryNumber(ctx, "limit", Long.MAX_VALUE))))));
        r.get(API + "/clusters/meta/{name}", wrap(ctx -> Responses.jsonBytes(ctx, service.clusterMetaJson(ctx.pathParam("name")))));
        r.get(API + "/proxies/addresses", wrap(ctx -> Responses.json(ctx, new AddressesResponse(service.proxyAddresses(
                Requests.queryNumber(ctx, "offset", 0), Requests.queryNumber(ctx, "limit", Long.MAX_VALUE))))));
        r.get(API + "/proxies/meta/{address}", wrap(ctx -> Responses.jsonBytes(ctx, service.proxyMetaJson(ctx.pathParam("address")))));
        r.post(API + "/failures/{address}/{reporter}", wrap(ctx -> {
            service.addFailure(ctx.pathParam("address"), ctx.pathParam("reporter"));
            Responses.empty(ctx);
        }));
        r.get(API + "/failures", wrap(ctx -> Responses.json(ctx, new AddressesResponse(service.failures()))));
        r.post(API + "/proxies/failover/{address}", wrap(ctx ->
                Responses.json(ctx, new ProxyResponse(service.failover(ctx.pathParam("address"), false)))));
        // ours: the operator's explicit failover that may promote a replica without its master's data
        r.post(API + "/proxies/failover_losing_data/{address}", wrap(ctx ->
                Responses.json(ctx, new ProxyResponse(service.failover(ctx.pathParam("address"), true)))));
        // ours: the coordinators report which replicas have completed a sync of their master
        r.post(API + "/replicas/sync_state", wrap(ctx -> Responses.json(ctx,
                service.reportReplicaSync(Requests.json(ctx, ReplicaSyncReport.class, maxBody).replicas()))));
        r.put(API + "/clusters/migrations", wrap(ctx -> {
            service.commitMigration(Requests.json(ctx, MigrationTaskMeta.class, maxBody));
            Responses.empty(ctx);
        }));
        r.get(API + "/proxies/failed/addresses", wrap(ctx -> Responses.json(ctx, new AddressesResponse(service.failedProxies()))));

        // management
        r.get(API + "/clusters/info/{name}", wrap(ctx -> Responses.json(ctx, service.clusterInfo(ctx.pathParam("name")))));
        r.post(API + "/clusters/meta/{name}", wrap(ctx -> {
            CreateClusterRequest req = Requests.json(ctx, CreateClusterRequest.class, maxBody);
            service.createCluster(ctx.pathParam("name"), req.nodeNumber(), req.config());
            Responses.empty(ctx);
        }));
        r.delete(API + "/clusters/meta/{name}", wrap(ctx -> {
            service.deleteCluster(ctx.pathParam("name"));
            Responses.empty(ctx);
        }));
        r.patch(API + "/clusters/nodes/{name}", wrap(ctx -> {
            long n = Requests.json(ctx, NodeNumberRequest.class, maxBody).nodeNumber();
            Responses.json(ctx, service.addNodes(ctx.pathParam("name"), n));
        }));
        r.put(API + "/clusters/nodes/{name}", wrap(ctx -> {
            long n = Requests.json(ctx, ClusterNodeNumberRequest.class, maxBody).clusterNodeNumber();
            Responses.json(ctx, service.scaleNodesTo(ctx.pathParam("name"), n));
        }));
        r.delete(API + "/clusters/free_nodes/{name}", wrap(ctx -> {
            service.deleteFreeNodes(ctx.pathParam("name"));
            Responses.empty(ctx);
        }));
        r.post(API + "/clusters/migrations/expand/{name}", wrap(ctx -> {
            service.expand(ctx.pathParam("name"));
            Responses.empty(ctx);
        }));
        r.post(API + "/clusters/migrations/shrink/{name}/{n}", wrap(ctx -> {
            long n = Requests.pathNumber(ctx, "n");
            service.shrink(ctx.pathParam("name"), n);
            Responses.empty(ctx);
        }));
        r.post(API + "/clusters/migrations/auto/{name}/{n}", wrap(ctx -> {
            long n = Requests.pathNumber(ctx, "n");
            service.autoScale(ctx.pathParam("name"), n);
            Responses.empty(ctx);
        }));
        r.patch(API + "/clusters/config/{name}", wrap(ctx -> {
            Map<String, String> fields = stringMap(Requests.body(ctx, maxBody));
            service.changeConfig(ctx.pathParam("name"), fields);
            Responses.empty(ctx);
        }));
        r.put(API + "/clusters/balance/{name}", wrap(ctx -> {
            service.balance(ctx.pathParam("name"));
            Responses.empty(ctx);
        }));
        r.post(API + "/proxies/meta", wrap(ctx -> {
            service.addProxy(Requests.json(ctx, AddProxyRequest.class, maxBody));
            Responses.empty(ctx);
        }));
        r.delete(API + "/proxies/meta/{address}", wrap(ctx -> {
            service.removeProxy(ctx.pathParam("address"));
            Responses.empty(ctx);
        }));

        extensions.forEach(e -> e.accept(config));
    }

    /** A JSON object of string values, in the request's order (the first bad key is the one reported). */
    static Map<String, String> stringMap(byte[] body) throws BrokerException {
        JsonNode node = Requests.parse(body, JsonNode.class);
        if (!node.isObject()) {
            throw new BrokerException(BrokerError.INVALID_REQUEST, "expected a JSON object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new BrokerException(BrokerError.INVALID_REQUEST, "the value of " + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

}
