package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.query.Page;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "JobEventPage")
public record EventPageResponse(
    List<EventResponse> items, long total, int limit, int offset, boolean hasMore) {

  public static EventPageResponse from(Page<TimelineEvent> page) {
    return new EventPageResponse(
        page.items().stream().map(EventResponse::from).toList(),
        page.total(),
        page.limit(),
        page.offset(),
        page.hasMore());
  }
}
