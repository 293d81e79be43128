/**
 * The memory broker's records, shared by the broker, the coordinator and the tests.
 *
 * <p>Two groups, both with the exact JSON of undermoon 0.6.2's broker:
 * <ul>
 *   <li>the store ({@code mem-broker-0.2}): {@link io.undermoon.model.broker.MetaStore},
 *       {@link io.undermoon.model.broker.ClusterStore}, {@link io.undermoon.model.broker.ChunkStore},
 *       {@link io.undermoon.model.broker.ProxyResource},
 *       {@link io.undermoon.model.broker.MigrationSlotRangeStore}. This is the meta file, the body of
 *       {@code GET/PUT /api/v3/metadata}, replica sync and the external storage's {@code store};</li>
 *   <li>the wire views the broker derives from the store and the coordinator reads:
 *       {@link io.undermoon.model.broker.ClusterView} ("Cluster"), {@link io.undermoon.model.broker.NodeView},
 *       {@link io.undermoon.model.broker.ProxyView} ("Proxy"), {@link io.undermoon.model.broker.ClusterInfo},
 *       {@link io.undermoon.model.broker.MigrationTaskMeta}, plus the small request and response wrappers.</li>
 * </ul>
 *
 * <p>Every record is immutable and validates its shape in its constructor, so a value that exists is
 * well formed (for example a chunk always has 2 proxies, 2 hosts and 4 nodes, and a migration record
 * always points at chunks of its own cluster). Maps are sorted, so JSON output is deterministic.
 * Use {@link io.undermoon.model.Json#mapper()} to read and write them.
 */
package io.undermoon.model.broker;
