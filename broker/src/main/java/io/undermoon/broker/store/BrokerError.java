package io.undermoon.broker.store;

/**
 * Every error code the broker answers with, and its HTTP status. The codes and statuses of the
 * reference (undermoon 0.6.2) are kept exactly; the ones marked "ours" replace the reference's
 * plain-text framework errors or its panics with a JSON error.
 */
public enum BrokerError {
    IN_USE(409),
    NOT_IN_USE(409),
    NO_AVAILABLE_RESOURCE(409),
    RESOURCE_NOT_BALANCE(409),
    ALREADY_EXISTED(409),
    CLUSTER_NOT_FOUND(404),
    FREE_NODE_NOT_FOUND(404),
    FREE_NODE_FOUND(409),
    PROXY_NOT_FOUND(404),
    INVALID_NODE_NUMBER(400),
    NODE_NUM_ALREADY_ENOUGH(409),
    INVALID_CLUSTER_NAME(400),
    INVALID_MIGRATION_TASK(400),
    INVALID_PROXY_ADDRESS(400),
    MIGRATION_TASK_NOT_FOUND(404),
    MIGRATION_RUNNING(409),
    INVALID_CONFIG(400),
    SLOTS_ALREADY_EVEN(400),
    PERSISTENCE_IO_ERROR(500),
    REPLICATION_ERROR(500),
    PERSISTENCE_JSON_ERROR(500),
    PERSISTENCE_LOCK_ERROR(500),
    INVALID_META_VERSION(409),
    EPOCH_SMALLER_THAN_CURRENT(409),
    MISSING_SERVER_PROXY_INDEX(400),
    PROXY_RESOURCE_OUT_OF_ORDER(409),
    ORDERED_PROXY_ENABLED(409),
    ONE_CLUSTER_ALREADY_EXISTED(409),
    PROXY_NOT_SYNC(500),
    NODE_NUMBER_CHANGING(409),
    EXTERNAL(500),
    RETRY(409),
    EMPTY_EXTERNAL_VERSION(500),
    EXTERNAL_TIMEOUT(504),
    /** Ours: a node address that is not {@code host:port}, or the same node twice. */
    INVALID_NODE_ADDRESS(400),
    /** Ours: a store for {@code PUT /metadata} whose map keys disagree with its records. */
    INVALID_METADATA(400),
    /** Ours: malformed JSON, a wrong JSON type, a bad query parameter. */
    INVALID_REQUEST(400),
    /** Ours: no such route. */
    NOT_FOUND(404),
    /** Ours: the request body is larger than {@code max_body_size}. */
    PAYLOAD_TOO_LARGE(413),
    /** Ours: a body whose Content-Type is not application/json. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /**
     * Ours: the etcd store did not answer in time or has no quorum; the change was not acknowledged
     * (it may or may not have been applied). Reads keep serving the last known store.
     */
    STORE_UNAVAILABLE(503),
    /**
     * Ours: a failover would promote a replica that has not completed a sync of its master (it would
     * lose the master's data); nothing changed.
     */
    REPLICA_NOT_SYNCED(409),
    /** Ours: an unexpected failure; logged, and the store is unchanged. */
    INTERNAL_ERROR(500);

    private final int status;

    BrokerError(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
