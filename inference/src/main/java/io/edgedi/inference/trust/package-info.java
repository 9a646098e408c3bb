/**
 * Nullness: types are non-null unless annotated {@code @Nullable} (docs/decisions/006-nullness.md).
 */
@NullMarked
package io.edgedi.inference.trust;

import org.jspecify.annotations.NullMarked;
