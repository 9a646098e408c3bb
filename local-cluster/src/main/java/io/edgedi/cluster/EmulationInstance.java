package io.edgedi.cluster;

/**
 * Which emulation this process runs, so that two can share a machine without tearing down each
 * other's namespaces and cgroups (each run removes what a crashed run of its own instance left).
 * {@code EDGEDI_EMU_INSTANCE} unset: namespaces {@code edgedi-emu-<i>}, veths {@code edemu<i>h},
 * subnet 10.213.i.0/30, cgroups under {@code edgedi-emu}; set to a letter x: {@code
 * edgedi-emux-<i>}, {@code edemux<i>h}, 10.(214 + x - 'a').i.0/30 and {@code edgedi-emux}.
 */
final class EmulationInstance {
  static final String VARIABLE = "EDGEDI_EMU_INSTANCE";
  static final String ID = id(System.getenv(VARIABLE));

  private EmulationInstance() {}

  static String id(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    if (!value.matches("[a-z]")) {
      throw new IllegalArgumentException(
          VARIABLE + " must be one lower-case letter, got '" + value + "'");
    }
    return value;
  }

  /** Second octet of the emulated links' subnet. */
  static int subnetOctet(String id) {
    return id.isEmpty() ? 213 : 214 + (id.charAt(0) - 'a');
  }
}
