package dev.edapatterns.contracts.progress;

/** Stages of an import as the browser sees them. */
public enum ProgressType { ACCEPTED, CONSUMED, PROCESSED, COMPLETED, FAILED }
