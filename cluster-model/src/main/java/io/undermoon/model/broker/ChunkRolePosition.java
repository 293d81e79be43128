package io.undermoon.model.broker;

/**
 * Which nodes of a chunk are masters. JSON names are the variant names, case-sensitive.
 *
 * <ul>
 *   <li>{@link #Normal}: N0 (on P0) is the master of part 0, N2 (on P1) the master of part 1;</li>
 *   <li>{@link #FirstChunkMaster}: P1 failed over, so P0 holds both masters (N0 part 0, N1 part 1);</li>
 *   <li>{@link #SecondChunkMaster}: P0 failed over, so P1 holds both masters (N3 part 0, N2 part 1).</li>
 * </ul>
 */
public enum ChunkRolePosition {
    Normal,
    FirstChunkMaster,
    SecondChunkMaster
}
