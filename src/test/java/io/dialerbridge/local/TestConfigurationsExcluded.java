package io.dialerbridge.local;

import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Keeps the tests' own {@code @TestConfiguration} classes (failing or held Kafka producers) out of local mode, whose
 * component scan sees the test classpath: Spring Boot's tests register such a filter themselves, a plain run does not.
 * A source of the application, so the scan finds it registered before it looks.
 */
public class TestConfigurationsExcluded extends TypeExcludeFilter {

    @Override
    public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
        return reader.getAnnotationMetadata().isAnnotated(TestConfiguration.class.getName());
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
