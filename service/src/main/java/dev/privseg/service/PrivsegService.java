package dev.privseg.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The privseg service: {@code java -jar privseg-service.jar}. */
@SpringBootApplication
public class PrivsegService {
  /** Starts the service. */
  public static void main(String[] args) {
    SpringApplication.run(PrivsegService.class, args);
  }
}
