package io.dialerbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A JVM the harness starts beside itself (the bridge or the baseline), so that its memory is its own. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java <jvmOptions> <arguments>}, its output going to {@code log}. */
    static ChildJvm start(String jvmOptions, List<String> arguments, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Arrays.stream(jvmOptions.trim().split("\\s+")).filter(option -> !option.isEmpty()).forEach(command::add);
        command.addAll(arguments);
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(),
                log);
    }

    /** Fails when the JVM is gone, naming its log. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the process exited with " + process.exitValue() + "; see " + log);
        }
    }

    /** Resident set size now and at its peak, in MB ({@code VmRSS} and {@code VmHWM}). */
    long[] rssMb() throws IOException {
        long rss = -1;
        long peak = -1;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            String[] parts = line.split("\\s+");
            if (parts[0].equals("VmRSS:")) {
                rss = Long.parseLong(parts[1]) / 1024;
            } else if (parts[0].equals("VmHWM:")) {
                peak = Long.parseLong(parts[1]) / 1024;
            }
        }
        return new long[] {rss, peak};
    }

    /**
     * CPU time the JVM used so far, user and system, in ms ({@code utime + stime} of {@code /proc/<pid>/stat}, at the
     * usual 100 ticks per second).
     */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        // The fields after the command name, which is in parentheses and may contain spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    /** A full collection ({@code jcmd <pid> GC.run}), so the heap used afterwards is the live set. */
    void collectGarbage() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
        }
    }

    /** Stops the JVM as a container runtime does (SIGTERM, graceful shutdown), forcibly after a minute. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
