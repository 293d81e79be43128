package io.undermoon.proxy.migration;

/** The states of a migration task as UMCTL INFO reports them (the reference's names). */
public enum MigrationState {
    PRE_CHECK,
    PRE_BLOCKING,
    PRE_SWITCH,
    SCANNING,
    FINAL_SWITCH,
    SWITCH_COMMITTED,
}
